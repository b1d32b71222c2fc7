"""migsim: read, summarise, compare and plot the HDF5 output of the migsim engine.

    import migsim
    ds = migsim.open_run("toy.h5")                  # xarray.Dataset, finished days only
    migsim.totals(ds, "border_deaths", by="border")  # mean over replicates of the totals
    migsim.tidy(ds, "arrivals")                      # long DataFrame for pandas/seaborn
    migsim.ensemble_summary(ds, "arrivals")          # mean, q05, q50, q95 over replicates
    migsim.compare("base.h5", "variant.h5", by="border")   # = migsim compare --format csv
    migsim.plot_series(ds, "arrivals", by="location")
    migsim.journeys("toy.h5")                        # run --journeys SHARE: one row per journey
    migsim.money_flows(ds)                           # who is paid, per year (docs/HARM.md)
    migsim.catalogue(ds)                             # every series: entity, units, meaning
    migsim.posterior("calib.h5").summary()           # migsim calibrate: posterior against prior
    migsim.sensitivity("sens.h5").sobol()            # migsim sensitivity: Sobol S1, ST (or .morris())

Layout of the files: docs/ARCHITECTURE.md ("Output"); compare: docs/COMPARE.md.
"""
from .catalogue import catalogue
from .compare import check_paired, compare, outcomes, pair_by_id, paired_statistics, posterior_statistics
from .ensemble import ensemble_summary, replicate_band, summary, summary_table
from .frames import (as_frame, dates, entities, link_table, monthly, parse_window, route_switches,
                     select_window, start_date, tidy, totals)
from .io import (RunFileError, input_hashes, is_complete, is_posterior, is_sweep, journeys, open_run, replicates,
                 run_info, trim_incomplete)
from .money import money_flows, payees, plot_money_flows
from .posterior import (AnalysisFileError, CalibrationFileError, Posterior, plot_generations, plot_posterior_marginals,
                        plot_posterior_pairs, plot_predictive, posterior, weighted_quantile)
from .sensitivity import Sensitivity, SensitivityFileError, plot_sensitivity, sensitivity
from .plots import (parameter_variable, plot_route_map, plot_route_shares, plot_series, plot_sweep,
                    sweep_outcome)

__version__ = "0.1.0"

__all__ = [
    "open_run", "RunFileError", "journeys", "trim_incomplete", "run_info", "input_hashes", "is_complete", "is_posterior", "is_sweep", "replicates",
    "tidy", "totals", "monthly", "entities", "link_table", "as_frame", "dates", "start_date",
    "parse_window", "route_switches", "select_window",
    "ensemble_summary", "summary", "summary_table", "replicate_band",
    "compare", "outcomes", "paired_statistics", "posterior_statistics", "check_paired", "pair_by_id",
    "plot_series", "plot_route_map", "plot_route_shares", "plot_sweep", "sweep_outcome",
    "parameter_variable", "money_flows", "payees", "plot_money_flows", "catalogue",
    "posterior", "Posterior", "CalibrationFileError", "weighted_quantile", "plot_posterior_marginals",
    "plot_posterior_pairs", "plot_predictive", "plot_generations", "AnalysisFileError",
    "sensitivity", "Sensitivity", "SensitivityFileError", "plot_sensitivity",
]
