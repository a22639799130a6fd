"""`sobc new`: a program, module or form written from templates that validate as they are."""
