"""Where leads come from: web search, maps, forums, directories and websites."""
