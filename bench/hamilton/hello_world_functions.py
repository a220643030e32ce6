"""Hamilton's "hello world" marketing dataflow, as Hamilton's own example writes it."""
import pandas as pd


def spend(raw_spend: pd.Series) -> pd.Series:
    return raw_spend


def signups(raw_signups: pd.Series) -> pd.Series:
    return raw_signups


def avg_3wk_spend(spend: pd.Series) -> pd.Series:
    return spend.rolling(3).mean()


def spend_per_signup(spend: pd.Series, signups: pd.Series) -> pd.Series:
    return spend / signups


def spend_mean(spend: pd.Series) -> float:
    return spend.mean()


def spend_zero_mean(spend: pd.Series, spend_mean: float) -> pd.Series:
    return spend - spend_mean


def spend_std_dev(spend: pd.Series) -> float:
    return spend.std()


def spend_zero_mean_unit_variance(spend_zero_mean: pd.Series, spend_std_dev: float) -> pd.Series:
    return spend_zero_mean / spend_std_dev
