"""The semantic rules over the model, one module per family, each reporting through one
`Reporter`; `validation` runs reading and checking for one or several programs."""
