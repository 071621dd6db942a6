# Hand-written HMM tables in which every path scores the same, to test tie-breaking.
P={'B': 0.0, 'E': 0.0, 'M': 0.0, 'S': 0.0}
