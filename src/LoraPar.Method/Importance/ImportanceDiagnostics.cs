using LoraPar.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// Checks importance scores before they are partitioned. Non-finite scores and a system whose scores are all zero are bad
/// input (the partition would be meaningless); a factor or tensor that scores all zero is a warning.
/// </summary>
public static class ImportanceDiagnostics
{
    /// <summary>The init advice for zero scores: the usual LoRA init (B = 0) makes every element score zero.</summary>
    public const string InitAdvice =
        "With the usual LoRA init (B = 0) ∂L/∂A = 0 and φ_B = 0, so every element scores zero: " +
        "re-initialise both factors before scoring with init = \"gaussian-both\", \"pissa\" or \"olora\".";

    /// <summary>Throws <see cref="BadInputException"/> for NaN/∞ or an all-zero system; returns warnings otherwise.</summary>
    public static IReadOnlyList<string> Check(ImportanceScores scores)
    {
        var warnings = new List<string>();
        foreach (var system in ReasoningSystemNames.All)
        {
            var perTensor = scores.Names.ToDictionary(n => n, n => Summarise(scores[system, n], n, system));
            if (perTensor.Values.All(total => total == 0))
                throw new BadInputException($"all importance scores of {system.Label()} are zero. {InitAdvice}");
            foreach (var factor in new[] { LoraFactor.A, LoraFactor.B })
            {
                var ofFactor = perTensor.Where(kv => LoraTensorName.Parse(kv.Key).Factor == factor).ToList();
                if (ofFactor.Count > 0 && ofFactor.All(kv => kv.Value == 0))
                    warnings.Add($"{system.Label()}: every lora_{factor} element scores zero, so no lora_{factor} element can be " +
                                 $"selected. {InitAdvice}");
            }
            var zero = perTensor.Where(kv => kv.Value == 0).Select(kv => kv.Key).ToList();
            if (zero.Count > 0 && zero.Count < perTensor.Count)
                warnings.Add($"{system.Label()}: {zero.Count} LoRA tensor(s) score zero everywhere (e.g. '{zero[0]}').");
        }
        return warnings;
    }

    /// <summary>The float64 sum of one score tensor; it is finite exactly when every element is (float32 sums cannot overflow float64).</summary>
    private static double Summarise(Tensor score, string name, ReasoningSystem system)
    {
        using var scope = NewDisposeScope();
        var total = score.to(ScalarType.Float64).sum().item<double>();
        if (!double.IsFinite(total))
            throw new BadInputException(
                $"importance of '{name}' for {system.Label()} has NaN or infinite values: the scoring loss or its gradients " +
                "overflowed; score in float32 and check the base model and the data of that system.");
        if (score.numel() > 0 && score.min().item<float>() < 0)
            throw new BadInputException($"importance of '{name}' for {system.Label()} has negative values; I(φ) is an absolute value, so the file is corrupt: re-run the scores stage.");
        return total;
    }
}
