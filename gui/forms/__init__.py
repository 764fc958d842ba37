"""The survey forms: household (with members), employment, training, measure, grievance, visit."""
