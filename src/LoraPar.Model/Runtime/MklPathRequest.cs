namespace LoraPar.Model.Runtime;

/// <summary>What became of a manifest's <c>mkl_path</c>.</summary>
public enum MklPathOutcome
{
    /// <summary>Exported to the environment before libtorch loaded: it holds for this process and its children.</summary>
    Applied,

    /// <summary>The environment (<c>LORAPAR_MKL_PATH</c> or <c>--mkl-path</c>) already chose; an explicit choice wins.</summary>
    Overridden,

    /// <summary>libtorch had already loaded with another path; the manifest's cannot take effect in this process.</summary>
    TooLate,
}

/// <summary>
/// A manifest's request for an MKL code path (e.g. the quickstart's <c>mkl_path = "avx2"</c>, whose pinned numbers need the
/// bit-reproducible kernels). It goes through the same channel as <c>--mkl-path</c>: the process environment, before the
/// one-shot runtime set-up reads it.
/// </summary>
public static class MklPathRequest
{
    /// <summary>Applies <paramref name="choice"/> unless the environment already names one or libtorch has loaded.</summary>
    public static MklPathOutcome Apply(MklPathChoice choice, Func<string, string?> read, Action<string, string> write, bool runtimeLoaded)
    {
        if (!string.IsNullOrWhiteSpace(read(MklPathChoices.Variable))) return MklPathOutcome.Overridden;
        if (runtimeLoaded) return MklPathOutcome.TooLate;
        write(MklPathChoices.Variable, MklPathChoices.Name(choice));
        return MklPathOutcome.Applied;
    }

    /// <summary><see cref="Apply(MklPathChoice, Func{string, string?}, Action{string, string}, bool)"/> on this process.</summary>
    public static MklPathOutcome Apply(MklPathChoice choice) =>
        Apply(choice, Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable, TorchRuntime.IsLoaded);
}
