"""The plan file: model, reading, validation, editing and saving. No Textual here."""
