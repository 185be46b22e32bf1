"""The accessibility statement, written from the build's own audit (Act 306/2019, EU model statement)."""
