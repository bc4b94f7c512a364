"""Archive census: which source packages of a suite ship trained models."""
