"""The contract with providers: what a catalogue file may hold (models, vocabularies, ids), how it is read (YAML with positions), and every problem the register can report."""
