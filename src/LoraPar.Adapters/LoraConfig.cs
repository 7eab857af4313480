using LoraPar.Core;
using LoraPar.Core.Settings;

namespace LoraPar.Adapters;

/// <summary>How the LoRA factors start (PEFT's <c>tuners/lora/layer.py</c> definitions; <see cref="GaussianBoth"/> is the LoRA-PAR authors' scheme).</summary>
public enum LoraInit
{
    /// <summary>A ~ kaiming-uniform(a = √5), B = 0 (PEFT's default, <c>init_lora_weights=True</c>).</summary>
    Kaiming,

    /// <summary>A, B ~ N(0, σ): both factors non-zero, so every element gets a non-zero importance score.</summary>
    GaussianBoth,

    /// <summary>Principal singular vectors: A = diag(√Sr)·Vh[:r], B = U[:, :r]·diag(√Sr), base weight becomes the residual.</summary>
    Pissa,

    /// <summary>QR of the base weight: B = Q[:, :r], A = R[:r], base weight becomes the residual.</summary>
    Olora,
}

/// <summary>Manifest names of <see cref="LoraInit"/>: <c>kaiming</c>, <c>gaussian-both</c>, <c>pissa</c>, <c>olora</c>.</summary>
public static class LoraInitNames
{
    private static readonly (string Name, LoraInit Init)[] Table =
        [("kaiming", LoraInit.Kaiming), ("gaussian-both", LoraInit.GaussianBoth), ("pissa", LoraInit.Pissa), ("olora", LoraInit.Olora)];

    /// <summary>The manifest name of <paramref name="init"/>.</summary>
    public static string Name(this LoraInit init) => Table.First(t => t.Init == init).Name;
}

/// <summary>
/// LoRA hyper-parameters (immutable; parsed once from the manifest). Defaults are the LoRA-PAR authors' SFT settings:
/// r = 8, lora_alpha = 64, dropout 0.05, QKVGUD targets, both factors ~ N(0, 0.01).
/// </summary>
public sealed record LoraConfig : ISettings
{
    /// <summary>Rank r of the update B·A.</summary>
    public int R { get; init; } = 8;

    /// <summary>lora_alpha; the update is scaled by alpha/r (or alpha/√r with <see cref="UseRslora"/>).</summary>
    public double Alpha { get; init; } = 64;

    /// <summary>Dropout probability applied to the adapter input (0 disables it; the authors score importance with 0).</summary>
    public double Dropout { get; init; } = 0.05;

    /// <summary>rsLoRA scaling alpha/√r instead of alpha/r.</summary>
    public bool UseRslora { get; init; }

    /// <summary>How the factors start.</summary>
    public LoraInit Init { get; init; } = LoraInit.GaussianBoth;

    /// <summary>Standard deviation σ of <see cref="LoraInit.GaussianBoth"/>.</summary>
    public double Sigma { get; init; } = 0.01;

    /// <summary>PiSSA only: null for the exact SVD, n for the fast randomized low-rank SVD with n subspace iterations (PEFT <c>pissa_niter_n</c>).</summary>
    public int? PissaNiter { get; init; }

    /// <summary>Which Linear modules get an adapter.</summary>
    public LoraTargets Targets { get; init; } = LoraTargets.Qkvgud;

    /// <summary>The factor the adapter output is multiplied by: alpha/r, or alpha/√r with rsLoRA.</summary>
    public double Scaling => UseRslora ? Alpha / Math.Sqrt(R) : Alpha / R;

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        p.Require(R > 0, "r", $"{R}: the rank must be a positive integer");
        p.Require(Alpha > 0 && double.IsFinite(Alpha), "alpha", $"{Alpha}: must be a positive number");
        p.Require(Dropout >= 0 && Dropout < 1, "dropout", $"{Dropout}: must lie in [0, 1)");
        p.Require(Init != LoraInit.GaussianBoth || Sigma > 0 && double.IsFinite(Sigma), "sigma", $"{Sigma}: must be positive for gaussian-both");
        p.Require(PissaNiter is null or >= 0, "pissa_niter", $"{PissaNiter}: must be 0 or more");
        p.Require(PissaNiter is null || Init == LoraInit.Pissa, "pissa_niter", "only meaningful with init = \"pissa\"");
        return p;
    }

    /// <summary>This instance, or a <see cref="BadInputException"/> naming every problem.</summary>
    public LoraConfig Validated() => this.Validated("lora");
}
