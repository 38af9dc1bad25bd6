"""Diversity of generated samples: a shipped MNIST classifier and the metrics the
mode-collapse literature uses (MNIST digits), plus VEEGAN's ring-of-8 mode counts."""
