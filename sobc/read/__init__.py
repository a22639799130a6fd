"""Reading a program folder into the model: YAML with the position of every value, the JSON
Schemas, the one Markdown parser, assembly into model objects, and the loader that ties them."""
