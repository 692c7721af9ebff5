"""The EST meeting's picture: period comparison, emerging hotspots, actions, effect, lägesbild."""
