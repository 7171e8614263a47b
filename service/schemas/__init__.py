"""Marshmallow load and dump schemas; they become the OpenAPI document."""
