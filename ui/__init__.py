"""The Gradio front end of policybot."""
