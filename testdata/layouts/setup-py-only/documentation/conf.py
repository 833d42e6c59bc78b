project = "six"
