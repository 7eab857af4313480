using System.Globalization;
using System.Text;

namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>
/// A TOML basic string (TOML 1.0 §String): the text between double quotes with <c>"</c> and <c>\</c> escaped, the control
/// characters U+0000–U+001F and U+007F written as their short escapes or <c>\uXXXX</c>, and every other character, non-ASCII
/// and beyond the Basic Multilingual Plane included, written as itself. JSON's escaping is not TOML's: it writes astral
/// characters as surrogate-pair escapes, which TOML rejects.
/// </summary>
public static class TomlString
{
    /// <summary>The quoted TOML basic string that reads back as <paramref name="text"/>.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text) quoted.Append(Escape(c));
        return quoted.Append('"').ToString();
    }

    private static string Escape(char c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\b' => "\\b",
        '\t' => "\\t",
        '\n' => "\\n",
        '\f' => "\\f",
        '\r' => "\\r",
        < ' ' or '\u007f' => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
        _ => c.ToString(),
    };
}
