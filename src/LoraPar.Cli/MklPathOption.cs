using System.CommandLine;
using LoraPar.Model.Runtime;

namespace LoraPar.Cli;

/// <summary>
/// <c>--mkl-path auto|vendor|avx2</c>, a global option: MKL's code path for this run (see <see cref="MklPathChoice"/>).
/// It sets <see cref="MklPathChoices.Variable"/> before any verb touches libtorch, so the one-shot runtime set-up and
/// every child process (a stage run on its own, a sandbox) see the same choice.
/// </summary>
public static class MklPathOption
{
    private const string Name = "--mkl-path";

    /// <summary>The option, recursive so that it may follow any verb.</summary>
    public static Option<MklPathChoice?> Create() => new(Name)
    {
        Description = $"MKL code path: auto (AVX-512 on AMD CPUs that have it), vendor (MKL's own choice) or avx2 (every CPU kernel on AVX2: bit-reproducible across CPUs; also {MklPathChoices.Variable}).",
        Recursive = true,
        CustomParser = result =>
        {
            try
            {
                return MklPathChoices.Parse(result.Tokens.Single().Value);
            }
            catch (TorchRuntimeException e)
            {
                result.AddError(e.Message);
                return null;
            }
        },
    };

    /// <summary>Exports the parsed choice, if one was given, to the process environment.</summary>
    public static void Apply(ParseResult parsed)
    {
        if (parsed.GetValue<MklPathChoice?>(Name) is { } choice)
            Environment.SetEnvironmentVariable(MklPathChoices.Variable, MklPathChoices.Name(choice));
    }
}
