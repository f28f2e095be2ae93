# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (reactive)
#     language: python
#     name: reactive
#   reactive:
#     format: 1
# ---

# %%
# %matplotlib inline
# !pip install -q requests
import requests

# %%
# files = !ls
len(files)

# %%
# requests.get?

# %%
# # %time note: a comment that looks like a magic
# #%% a commented-out VS Code marker
  # # %% indented
x = 1  # %% trailing
# a plain comment

# %%
s = """
# # %% inside a string
%% also
"""

# %% [markdown]
# # %% a Markdown line starting with percent signs
# # # %% [markdown]
# #
# # # x

# %% [raw]
# # # %% raw
# %%bash
