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

# %% [markdown]

# %% [raw]

# %%
x = 1


# %%
y = 2




# %%
   

# %%



# %% [markdown]
# trailing spaces   
# 	tab
#

# %%
z = 3   
	y = [1,	2]

# %%
