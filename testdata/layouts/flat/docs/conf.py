project = "flatpkg"
