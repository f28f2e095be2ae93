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
# %%time
total = sum(range(10))

# %% ipython=true
# %%bash
# set -e
# echo "hello"
# # # %% a shell comment
#
# ls -1 | wc -l

# %%
# %%writefile config.py
NAME = "demo"

# %% ipython=true
# if True:
#     %time total

# %%
# %load_ext autoreload
# %autoreload 2
