using LoraPar.Core;
using LoraPar.Core.Settings;

namespace LoraPar.Method.Partition;

/// <summary>
/// The partition's hyper-parameters (paper §3.4), the manifest's <c>[partition]</c>. Defaults are the paper's main setting:
/// θ = 0.9, α = β = 1.
/// </summary>
/// <param name="Theta">Cumulative-importance cut θ ∈ (0, 1]: each system keeps the shortest prefix of its descending
/// importance order whose sum reaches θ of its total.</param>
/// <param name="Alpha">Fraction α ∈ [0, 1] of the shared set (top by System-1 importance) active in stage 1.</param>
/// <param name="Beta">Fraction β ∈ [0, 1] of the shared set (top by System-2 importance) active in stage 2.</param>
/// <param name="Selection">Importance (LoRA-PAR), Random (same counts) or Full (plain LoRA).</param>
/// <param name="Seed">Seed of the random control and of the scatter plot's subsample (the run's seed).</param>
public sealed record PartitionOptions(
    double Theta = 0.9,
    double Alpha = 1.0,
    double Beta = 1.0,
    MaskStrategy Selection = MaskStrategy.Importance,
    [property: FromRun] int Seed = 0) : ISettings
{
    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        p.Require(Theta > 0 && Theta <= 1, "theta", $"{Theta} is outside (0, 1]: θ is the share of each system's total importance to "
            + "keep (the paper uses 0.9 or 0.95; 1 keeps every element with non-zero importance)");
        p.Require(Alpha >= 0 && Alpha <= 1, "alpha", $"{Alpha} is outside [0, 1]: α is the fraction of shared elements active in stage 1 (the paper uses 1)");
        p.Require(Beta >= 0 && Beta <= 1, "beta", $"{Beta} is outside [0, 1]: β is the fraction of shared elements active in stage 2 (the paper uses 1)");
        p.Require(Enum.IsDefined(Selection), "selection", $"{(int)Selection} is not one of importance, random, full");
        return p;
    }

    /// <summary>Throws <see cref="BadInputException"/> listing every out-of-range value and what to use instead.</summary>
    public void Validate() => this.Validated("partition");
}
