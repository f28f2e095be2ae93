# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   reactive:
#     auto_run: false
#     format: 1
# ---

# %% [raw] raw_mimetype="text/markdown"
# ---
# title: Golden notebook
# author: QA
# ---

# %% [markdown]
# # Title
#
# Some *text* with a list:
#
# - one
# - two
#
# ```python
# # # %% in a fence
# print(1)
# ```

# %% slideshow={"slide_type": "skip"} tags=["setup", "parameters"]
import math

radius = 2.0

# %% Area of the circle
area = math.pi * radius**2
area

# %% [markdown] slideshow={"slide_type": "slide"}
# Done. ✅ 日本語 — שלום
