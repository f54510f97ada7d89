"""Looker API 4.0 over the demo database, in Looker's JSON shapes: `dispatch.Dispatcher` routes each call
by the official spec to a handler of one area module (users, roles, attributes, admin, appearance, lookml,
querying, looks, dashboards, folders, content), passing a `context.Ctx`. Every answer deserializes into the official
looker_sdk 4.0 models."""
