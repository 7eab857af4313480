using LoraPar.Core;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Export;

/// <summary>
/// A region of the LoRA elements by the training stages that updated it: those only stage 1 trained (System 1's region:
/// Ω1-only, plus shared elements of the α share that stage 2's β share left out), those only stage 2 trained (System 2's
/// region), and those both trained (the shared region). With α = β = 1, the paper's default, they are exactly Ω1-only,
/// Ω2-only and Ω-shared of Algorithm 1.
/// </summary>
public enum AdapterRegion
{
    /// <summary>Trained in stage 1 only (<c>s1</c>).</summary>
    System1Only,

    /// <summary>Trained in stage 2 only (<c>s2</c>).</summary>
    System2Only,

    /// <summary>Trained in both stages (<c>shared</c>).</summary>
    Shared,
}

/// <summary>Names of <see cref="AdapterRegion"/> and the adapter that keeps one region's training alone.</summary>
public static class AdapterRegions
{
    /// <summary>Every region, in the order the paper names them.</summary>
    public static IReadOnlyList<AdapterRegion> All { get; } = [AdapterRegion.System1Only, AdapterRegion.System2Only, AdapterRegion.Shared];

    /// <summary>The short name a user types: <c>s1</c>, <c>s2</c>, <c>shared</c>.</summary>
    public static string ShortName(this AdapterRegion region) => region switch
    {
        AdapterRegion.System1Only => "s1",
        AdapterRegion.System2Only => "s2",
        AdapterRegion.Shared => "shared",
        _ => throw new ArgumentOutOfRangeException(nameof(region), region, "unknown region"),
    };

    /// <summary>The folder an exported region adapter goes to: <c>system1-only</c>, <c>system2-only</c>, <c>shared</c>.</summary>
    public static string FolderName(this AdapterRegion region) => region switch
    {
        AdapterRegion.System1Only => "system1-only",
        AdapterRegion.System2Only => "system2-only",
        _ => "shared",
    };

    /// <summary>Parses a comma-separated list such as <c>s1,s2,shared</c> (bad input names the accepted values).</summary>
    public static IReadOnlyList<AdapterRegion> ParseList(string text)
    {
        var regions = new List<AdapterRegion>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var region = All.Where(r => r.ShortName() == part || r.FolderName() == part).Select(r => (AdapterRegion?)r).FirstOrDefault()
                ?? throw new BadInputException($"--regions: unknown region '{part}'; expected a comma-separated list of s1, s2, shared");
            if (!regions.Contains(region)) regions.Add(region);
        }
        if (regions.Count == 0) throw new BadInputException("--regions: empty list; expected a comma-separated list of s1, s2, shared");
        return regions;
    }

    /// <summary>The bool mask of <paramref name="region"/> from the two stage masks of one LoRA tensor (same shape).</summary>
    public static Tensor Mask(AdapterRegion region, Tensor stage1, Tensor stage2) => region switch
    {
        AdapterRegion.System1Only => stage1.logical_and(stage2.logical_not()),
        AdapterRegion.System2Only => stage2.logical_and(stage1.logical_not()),
        _ => stage1.logical_and(stage2),
    };

    /// <summary>
    /// The adapter as if only <paramref name="region"/> had been trained: each element of the region keeps its trained value,
    /// every other element its initial value (where frozen elements stayed anyway). New tensors, keyed as
    /// <paramref name="trained"/>; every key needs an initial value and both stage masks of the same shape.
    /// </summary>
    public static Dictionary<string, Tensor> Restrict(AdapterRegion region, IReadOnlyDictionary<string, Tensor> trained,
        IReadOnlyDictionary<string, Tensor> initial, IReadOnlyDictionary<string, Tensor> stage1, IReadOnlyDictionary<string, Tensor> stage2)
    {
        var result = new Dictionary<string, Tensor>();
        using var noGrad = no_grad();
        foreach (var (key, value) in trained)
        {
            if (!initial.TryGetValue(key, out var start) || !stage1.TryGetValue(key, out var m1) || !stage2.TryGetValue(key, out var m2))
                throw new BadInputException($"{key}: the masks or the initial adapter lack this LoRA tensor; they must come from the same run");
            using var scope = NewDisposeScope();
            var mask = Mask(region, m1.to(value.device), m2.to(value.device));            // like the LoRA tensor
            result[key] = where(mask, value.detach(), start.to(value.dtype, value.device)).MoveToOuterDisposeScope();
        }
        return result;
    }
}
