"""Outputs of a build: dump files, their description, releases, and the build folder itself."""
