using LoraPar.Core;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>
/// What the sandbox needs on this machine (the interpreter; bubblewrap and, as root, setpriv), checked without running
/// anything, so a manifest that evaluates HumanEval is refused at load rather than after the model has loaded.
/// </summary>
public static class SandboxRequirements
{
    /// <summary>The first tool <paramref name="options"/> needs that this machine lacks, with how to install it; null when none.</summary>
    public static string? Missing(SandboxOptions options)
    {
        try
        {
            SandboxLauncher.Resolve(options);
            return null;
        }
        catch (BadInputException e)
        {
            return e.Message;
        }
    }
}
