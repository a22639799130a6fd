"""The model: the objects a program is made of (Program, Module, Section, Step, Form, Question,
Flag …) and the shapes the manifest shares with them. Every stage above speaks these words."""
