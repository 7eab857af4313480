using System.Text;

namespace LoraPar.Pipeline.Manifest;

/// <summary>Enum values in manifests are kebab-case: <c>GaussianBoth</c> ↔ <c>gaussian-both</c>, <c>DrGrpo</c> ↔ <c>dr-grpo</c>.</summary>
public static class KebabCase
{
    /// <summary>The kebab-case spelling of a PascalCase identifier.</summary>
    public static string From(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    /// <summary>The kebab-case name of an enum value.</summary>
    public static string Name<T>(T value) where T : struct, Enum => From(value.ToString());

    /// <summary>Every kebab-case name of an enum type.</summary>
    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Name).ToList();

    /// <summary>Parses a kebab-case name (case-insensitive); false when it names no value.</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (!string.Equals(Name(candidate), text, StringComparison.OrdinalIgnoreCase)) continue;
            value = candidate;
            return true;
        }
        value = default;
        return false;
    }
}
