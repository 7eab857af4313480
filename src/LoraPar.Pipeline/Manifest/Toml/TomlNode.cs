using System.Globalization;

namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>A TOML value with the place it was written: the positioned tree manifests are validated on.</summary>
public abstract class TomlNode(SourceLocation location)
{
    /// <summary>Where the value starts.</summary>
    public SourceLocation Location { get; } = location;

    /// <summary>The TOML type name used in messages: string, integer, float, boolean, datetime, array, table.</summary>
    public abstract string TypeName { get; }
}

/// <summary>A string, integer (long), float (double), boolean or datetime value.</summary>
public sealed class TomlScalar(object value, SourceLocation location) : TomlNode(location)
{
    /// <summary>The value: <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or a datetime.</summary>
    public object Value { get; } = value;

    /// <inheritdoc />
    public override string TypeName => Value switch
    {
        string => "string",
        long => "integer",
        double => "float",
        bool => "boolean",
        _ => "datetime",
    };

    /// <summary>The most characters of a string value a message shows.</summary>
    public const int MaxShown = 60;

    /// <summary>The value as TOML would spell it, for messages (a long string is cut with '…').</summary>
    public string Display => Value switch
    {
        string s => $"\"{Clip(s)}\"",
        double d => Spell(d),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? "",
    };

    /// <summary>A number as TOML spells it: <c>inf</c>, <c>-inf</c>, <c>nan</c>, or the shortest round-trip digits.</summary>
    public static string Spell(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        double.NaN => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary><paramref name="text"/> cut to <see cref="MaxShown"/> characters with '…' when longer.</summary>
    public static string Clip(string text) => text.Length <= MaxShown ? text : text[..MaxShown] + "…";
}

/// <summary>An array of values.</summary>
public sealed class TomlArrayNode(IReadOnlyList<TomlNode> items, SourceLocation location) : TomlNode(location)
{
    /// <summary>The items in order.</summary>
    public IReadOnlyList<TomlNode> Items { get; } = items;

    /// <inheritdoc />
    public override string TypeName => "array";
}

/// <summary>One key of a table: its name, where the key was written, and its value.</summary>
public sealed record TomlEntry(string Key, SourceLocation KeyLocation, TomlNode Value);

/// <summary>A table (document root, [header] table, inline table or an element of an array of tables).</summary>
public sealed class TomlTableNode(SourceLocation location) : TomlNode(location)
{
    private readonly Dictionary<string, TomlEntry> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <inheritdoc />
    public override string TypeName => "table";

    /// <summary>The entries in the order they were first written.</summary>
    public IEnumerable<TomlEntry> Entries => _order.Select(k => _entries[k]);

    /// <summary>The keys in order.</summary>
    public IReadOnlyList<string> Keys => _order;

    /// <summary>The entry for <paramref name="key"/>, or null.</summary>
    public TomlEntry? Find(string key) => _entries.GetValueOrDefault(key);

    /// <summary>Adds or replaces an entry (replacing keeps the original position in <see cref="Keys"/>).</summary>
    public void Set(TomlEntry entry)
    {
        if (!_entries.ContainsKey(entry.Key)) _order.Add(entry.Key);
        _entries[entry.Key] = entry;
    }

    /// <summary>Removes an entry when present.</summary>
    public void Remove(string key)
    {
        if (_entries.Remove(key)) _order.Remove(key);
    }

    /// <summary>A deep copy (tables and arrays copied, scalars shared: they are immutable).</summary>
    public TomlTableNode Clone()
    {
        var copy = new TomlTableNode(Location);
        foreach (var e in Entries) copy.Set(e with { Value = CloneNode(e.Value) });
        return copy;
    }

    private static TomlNode CloneNode(TomlNode node) => node switch
    {
        TomlTableNode t => t.Clone(),
        TomlArrayNode a => new TomlArrayNode(a.Items.Select(CloneNode).ToList(), a.Location),
        _ => node,
    };
}
