"""The static reference website: page data, templates, schema.org, timeline, writing the pages."""
