using System.Reflection;

namespace LoraPar.Cli;

/// <summary>The tool's informational version, as <c>lorapar --version</c> prints it.</summary>
public static class ToolVersion
{
    public static string Current { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
