// Placeholder entry point; the emulator issue (#3) replaces it.
return 0;
