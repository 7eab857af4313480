using LoraPar.Core;

namespace LoraPar.Adapters;

/// <summary>How the LoRA factors start (PEFT's <c>tuners/lora/layer.py</c> definitions; <see cref="GaussianBoth"/> is the LoRA-PAR authors' scheme).</summary>
public enum LoraInit
{
    /// <summary>A ~ kaiming-uniform(a = √5), B = 0 (PEFT <c>init_lora_weights=True</c>).</summary>
    Lora,

    /// <summary>A, B ~ N(0, σ): both factors non-zero, so every element gets a non-zero importance score.</summary>
    GaussianBoth,

    /// <summary>Principal singular vectors: A = diag(√Sr)·Vh[:r], B = U[:, :r]·diag(√Sr), base weight becomes the residual.</summary>
    Pissa,

    /// <summary>QR of the base weight: B = Q[:, :r], A = R[:r], base weight becomes the residual.</summary>
    Olora,
}

/// <summary>Manifest names of <see cref="LoraInit"/>: <c>lora</c>, <c>gaussian-both</c>, <c>pissa</c>, <c>olora</c>.</summary>
public static class LoraInitNames
{
    private static readonly (string Name, LoraInit Init)[] Table =
        [("lora", LoraInit.Lora), ("gaussian-both", LoraInit.GaussianBoth), ("pissa", LoraInit.Pissa), ("olora", LoraInit.Olora)];

    /// <summary>The manifest name of <paramref name="init"/>.</summary>
    public static string Name(this LoraInit init) => Table.First(t => t.Init == init).Name;

    /// <summary>Parses a manifest name; an unknown one is a <see cref="BadInputException"/> listing the choices.</summary>
    public static LoraInit Parse(string name) =>
        Table.FirstOrDefault(t => t.Name == name.Trim().ToLowerInvariant()) is { Name: not null } hit
            ? hit.Init
            : throw new BadInputException($"unknown LoRA init '{name}': use one of {string.Join(", ", Table.Select(t => t.Name))}");
}

/// <summary>
/// LoRA hyper-parameters (immutable; parsed once from the manifest). Defaults are the LoRA-PAR authors' SFT settings:
/// r = 8, lora_alpha = 64, dropout 0.05, QKVGUD targets, both factors ~ N(0, 0.01).
/// </summary>
public sealed record LoraConfig
{
    /// <summary>Rank r of the update B·A.</summary>
    public int R { get; init; } = 8;

    /// <summary>lora_alpha; the update is scaled by alpha/r (or alpha/√r with <see cref="UseRsLora"/>).</summary>
    public double Alpha { get; init; } = 64;

    /// <summary>Dropout probability applied to the adapter input (0 disables it; the authors score importance with 0).</summary>
    public double Dropout { get; init; } = 0.05;

    /// <summary>rsLoRA scaling alpha/√r instead of alpha/r.</summary>
    public bool UseRsLora { get; init; }

    /// <summary>How the factors start.</summary>
    public LoraInit Init { get; init; } = LoraInit.GaussianBoth;

    /// <summary>Standard deviation σ of <see cref="LoraInit.GaussianBoth"/>.</summary>
    public double Sigma { get; init; } = 0.01;

    /// <summary>PiSSA only: null for the exact SVD, n for the fast randomized low-rank SVD with n subspace iterations (PEFT <c>pissa_niter_n</c>).</summary>
    public int? PissaNiter { get; init; }

    /// <summary>Which Linear modules get an adapter.</summary>
    public LoraTargets Targets { get; init; } = LoraTargets.Qkvgud;

    /// <summary>The factor the adapter output is multiplied by: alpha/r, or alpha/√r with rsLoRA.</summary>
    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(R) : Alpha / R;

    /// <summary>Every problem with these values, one message each (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (R <= 0) problems.Add($"r = {R}: the rank must be a positive integer");
        if (!(Alpha > 0) || double.IsInfinity(Alpha)) problems.Add($"lora_alpha = {Alpha}: must be a positive number");
        if (!(Dropout >= 0 && Dropout < 1)) problems.Add($"lora_dropout = {Dropout}: must be in [0, 1)");
        if (Init == LoraInit.GaussianBoth && !(Sigma > 0)) problems.Add($"sigma = {Sigma}: must be positive for gaussian-both");
        if (PissaNiter is < 0) problems.Add($"pissa_niter = {PissaNiter}: must be 0 or more");
        if (PissaNiter is not null && Init != LoraInit.Pissa) problems.Add("pissa_niter is only meaningful with init = \"pissa\"");
        return problems;
    }

    /// <summary>Throws a <see cref="BadInputException"/> naming every problem, if any.</summary>
    public LoraConfig Validated()
    {
        var problems = Problems();
        return problems.Count == 0 ? this : throw new BadInputException("invalid LoRA settings: " + string.Join("; ", problems));
    }
}
