# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (reactive)
#     language: python
#     name: reactive
#   reactive:
#     display_order: 1 7 2-6 8-9
#     format: 1
# ---

# %% [markdown]
# # A reactive notebook in a `.py` file
#
# This file is a notebook: open it in JupyterLab (double-click) and it opens as one, on the
# **Python 3 (reactive)** kernel. It is also a script: `python examples/tour.py` prints the same
# answer. In git it diffs like code.
#
# The answer is shown first and computed below. The file stores the cells in the order a script
# needs and the header's `display_order` keeps the order you see.

# %% [markdown]
# ## Parameters
# Change `threshold` and run the cell: the answer above updates by itself.

# %%
threshold = 15

# %% [markdown]
# ## Data

# %%
readings = {"Lisbon": 21.5, "Oslo": 4.0, "Lima": 18.25, "Cairo": 27.0}

# %%
warm = sorted(city for city, temp in readings.items() if temp > threshold)

# %%
print(f"{len(warm)} of {len(readings)} cities are warmer than {threshold} °C: {', '.join(warm)}")

# %% [markdown]
# IPython syntax is kept and the file stays valid Python: `%%time` becomes a comment under plain
# `python`, and the cell's code still runs.

# %%
# %%time
total = sum(readings.values())
print(f"mean {total / len(readings):.2f} °C")
