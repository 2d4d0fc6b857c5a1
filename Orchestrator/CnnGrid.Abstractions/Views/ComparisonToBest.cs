namespace CnnGrid.Abstractions.Views;

/// <summary>
/// A configuration against the sweep's best (highest mean accuracy) over the validation folds they share: the
/// differences d_j = best_j − this_j, tested with the corrected resampled t-test (Nadeau &amp; Bengio 2003) and read
/// with the Bayesian correlated t-test (Benavoli et al. 2017) against the region of practical equivalence.
/// </summary>
/// <param name="MeanDifference">mean(d): how much more accurate the best is, as a fraction.</param>
/// <param name="StdError">The corrected standard error sqrt((1/J + n_val/n_train) · s²) of mean(d).</param>
/// <param name="T">mean(d) / StdError; null when every difference is the same (StdError 0).</param>
/// <param name="Df">Degrees of freedom: J − 1 paired; Welch–Satterthwaite's when unpaired.</param>
/// <param name="PValue">Two-sided p-value of the corrected test.</param>
/// <param name="PValueHolm">Holm-adjusted over every configuration compared with the best.</param>
/// <param name="ProbabilityBestBetter">Posterior P(mean difference &gt; rope).</param>
/// <param name="ProbabilityEquivalent">Posterior P(|mean difference| ≤ rope).</param>
/// <param name="ProbabilityThisBetter">Posterior P(mean difference &lt; −rope).</param>
/// <param name="Paired">False when the two were validated on different folds (a seed axis that changes the split): then unpaired.</param>
[GenerateSerializer, Immutable]
public sealed record ComparisonToBest(
    double MeanDifference,
    double StdError,
    double? T,
    double Df,
    double PValue,
    double PValueHolm,
    double ProbabilityBestBetter,
    double ProbabilityEquivalent,
    double ProbabilityThisBetter,
    bool Paired);
