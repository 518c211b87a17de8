"""The JSON Web Key Set: the public keys that verify tokens."""
