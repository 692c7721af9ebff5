"""The domain's vocabulary: errors, configuration, schema, taxonomy, periods, translations."""
