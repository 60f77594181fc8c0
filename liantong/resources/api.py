"""This app's API endpoints, assembled into /api/v1/ by liantong/api.py."""

from ninja import Router

router = Router()
