# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (reactive)
#     language: python
#     name: reactive
#   reactive:
#     display_order: 1 7 5-6 4 2-3 8
#     format: 1
# ---

# %% [markdown]
# # Report first

# %% [markdown]
# ## Data

# %%
rows = [3, 1, 4, 1, 5]

# %%
total = sum(rows)

# %% [markdown]
# ## Summary

# %%
summary = f"{len(rows)} rows, total {total}"

# %%
print(summary)

# %% [markdown]
# *the end*
