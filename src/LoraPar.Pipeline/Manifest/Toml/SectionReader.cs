using System.Text.RegularExpressions;

namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>
/// Reads one manifest table into typed values. Every read names a key and its default; a missing key gives the default, a bad
/// value records a <c>file:line:col key: message</c> error and gives the default, so one pass reports every problem.
/// <see cref="Finish"/> rejects keys no read asked for, with a did-you-mean.
/// </summary>
public sealed partial class SectionReader
{
    private readonly TomlTableNode? _table;
    private readonly string _prefix;
    private readonly ManifestBinding _binding;
    private readonly List<string> _known = [];

    /// <summary>A reader over <paramref name="table"/> (null: the section is absent and every read gives its default).</summary>
    public SectionReader(TomlTableNode? table, string prefix, ManifestBinding binding)
    {
        _table = table;
        _prefix = prefix;
        _binding = binding;
    }

    /// <summary>The keys this reader has been asked for, in order (the section's schema).</summary>
    public IReadOnlyList<string> KnownKeys => _known;

    /// <summary>Reads a 32-bit integer within <paramref name="range"/>; a value beyond 32 bits is an error, never wrapped.</summary>
    public int Int(string key, int fallback, NumberRange? range = null)
    {
        if (Lookup(key) is not { } entry) return fallback;
        if (entry.Value is not TomlScalar { Value: long value }) return TypeError(entry, "an integer", fallback);
        if (BeyondInt32(value) is { } problem)
        {
            _binding.Diagnostics.Error(entry.KeyLocation, FullKey(entry.Key), problem);
            return fallback;
        }
        return InRange(entry, value, range) ? (int)value : fallback;
    }

    /// <summary>Reads a 64-bit integer within <paramref name="range"/> (TOML's integers are 64-bit: a larger literal is a syntax error).</summary>
    public long Long(string key, long fallback, NumberRange? range = null)
    {
        if (Lookup(key) is not { } entry) return fallback;
        if (entry.Value is not TomlScalar { Value: long value }) return TypeError(entry, "an integer", fallback);
        return InRange(entry, value, range) ? value : fallback;
    }

    /// <summary>Reads a finite number (an integer is accepted) within <paramref name="range"/>; <c>inf</c> and <c>nan</c> are errors.</summary>
    public double Double(string key, double fallback, NumberRange? range = null)
    {
        if (Lookup(key) is not { } entry) return fallback;
        if (!TryNumber(entry.Value, out var value)) return TypeError(entry, "a number", fallback);
        if (!double.IsFinite(value))
        {
            _binding.Diagnostics.Error(entry.KeyLocation, FullKey(entry.Key), NotFinite(value, range));
            return fallback;
        }
        return InRange(entry, value, range) ? value : fallback;
    }

    /// <summary>Reads a boolean.</summary>
    public bool Bool(string key, bool fallback)
    {
        if (Lookup(key) is not { } entry) return fallback;
        return entry.Value is TomlScalar { Value: bool value } ? value : TypeError(entry, "a boolean (true or false)", fallback);
    }

    /// <summary>Reads a string.</summary>
    public string String(string key, string fallback)
    {
        if (Lookup(key) is not { } entry) return fallback;
        return entry.Value is TomlScalar { Value: string value } ? value : TypeError(entry, "a string", fallback);
    }

    /// <summary>
    /// Reads a string in which each <c>${VAR}</c> is replaced by that environment variable (e.g. a teacher's endpoint). An unset
    /// variable is a machine problem (an error when running, a warning for a dry run) and keeps its reference in the text.
    /// </summary>
    public string ExpandedString(string key, string fallback)
    {
        if (Lookup(key) is null) return fallback;
        var raw = String(key, fallback);
        string? unset = null;
        var expanded = EnvReference().Replace(raw, m =>
        {
            if (_binding.Environment(m.Groups[1].Value) is { Length: > 0 } value) return value;
            unset ??= m.Groups[1].Value;
            return m.Value;
        });
        if (unset is not null) EnvironmentProblem(key, $"environment variable {unset} is not set; export it, e.g. export {unset}=http://127.0.0.1:8000/v1");
        return expanded;
    }

    /// <summary>Whether <paramref name="text"/> still holds a <c>${VAR}</c> reference (its variable was unset).</summary>
    public static bool HasUnsetReference(string text) => EnvReference().IsMatch(text);

    /// <summary>Reads a kebab-case enum value, with a did-you-mean for a misspelling.</summary>
    public T Enum<T>(string key, T fallback) where T : struct, Enum
    {
        if (Lookup(key) is not { } entry) return fallback;
        return ParseEnum(entry.Value, FullKey(key), fallback);
    }

    /// <summary>Reads an array of kebab-case enum values (a single value is accepted as a one-element list), held to <paramref name="rules"/>.</summary>
    public IReadOnlyList<T> EnumList<T>(string key, IReadOnlyList<T> fallback, ListRules rules = ListRules.None) where T : struct, Enum =>
        List(key, fallback, node => ParseEnum<T>(node, FullKey(key), default), "strings", rules);

    /// <summary>Reads an array of finite numbers within <paramref name="range"/>, held to <paramref name="rules"/>.</summary>
    public IReadOnlyList<double> DoubleList(string key, IReadOnlyList<double> fallback, NumberRange? range = null, ListRules rules = ListRules.None) =>
        List(key, fallback, node => ItemNumber(node, key, range), "numbers", rules);

    /// <summary>Reads an array of 32-bit integers within <paramref name="range"/>, held to <paramref name="rules"/>.</summary>
    public IReadOnlyList<int> IntList(string key, IReadOnlyList<int> fallback, NumberRange? range = null, ListRules rules = ListRules.None) =>
        List(key, fallback, node => node is TomlScalar { Value: long value }
            ? ItemInt(node, value, key, range)
            : ItemTypeError(node, key, "an integer", 0), "integers", rules);

    /// <summary>Reads an array of strings, held to <paramref name="rules"/>.</summary>
    public IReadOnlyList<string> StringList(string key, IReadOnlyList<string> fallback, ListRules rules = ListRules.None) =>
        List(key, fallback, node => node is TomlScalar { Value: string s } ? s : ItemTypeError(node, key, "a string", ""), "strings", rules);

    /// <summary>
    /// Reads a path, expanding <c>${VAR}</c> and resolving it against the folder of the file that wrote it. After binding, a
    /// path that exists must be of <paramref name="kind"/> (always an error); when <paramref name="mustExist"/>, a missing one
    /// is an error when running and a warning for a dry run. <paramref name="hint"/> says what the path should name.
    /// </summary>
    public ManifestPath? Path(string key, PathKind kind, bool mustExist, string? hint = null)
    {
        if (Lookup(key) is not { } entry) return null;
        if (entry.Value is not TomlScalar { Value: string raw }) return TypeError<ManifestPath?>(entry, "a string (a path)", null);
        if (raw.Length == 0 || raw.Contains('\0'))
        {
            _binding.Diagnostics.Error(entry.Value.Location, FullKey(key), raw.Length == 0 ? "the path is empty" : "a path cannot hold a NUL character");
            return null;
        }
        string? problem = null;
        var expanded = EnvReference().Replace(raw, m =>
        {
            var name = m.Groups[1].Value;
            if (_binding.Environment(name) is { Length: > 0 } value) return value;
            problem ??= $"environment variable {name} is not set; set it to the path, e.g. export {name}=/path";
            return m.Value;
        });
        var resolved = System.IO.Path.GetFullPath(System.IO.Path.Combine(_binding.DirectoryOf(entry.Value.Location), expanded));
        var path = new ManifestPath(raw, resolved);
        _binding.CheckPath(new PendingPathCheck(FullKey(key), entry.Value.Location, path, kind, mustExist, problem, hint));
        return path;
    }

    /// <summary>A reader for the nested table <paramref name="key"/> (absent: defaults). Call its <see cref="Finish"/> too.</summary>
    public SectionReader Section(string key)
    {
        if (Lookup(key) is not { } entry) return new SectionReader(null, FullKey(key), _binding);
        if (entry.Value is TomlTableNode table) return new SectionReader(table, FullKey(key), _binding);
        TypeError(entry, "a table", 0);
        return new SectionReader(null, FullKey(key), _binding);
    }

    /// <summary>Whether <paramref name="key"/> holds a non-empty array of tables (<c>[[key]]</c> or <c>[{…}, …]</c>); marks nothing as read.</summary>
    public bool HoldsTables(string key) =>
        _table?.Find(key)?.Value is TomlArrayNode { Items.Count: > 0 } array && array.Items.All(i => i is TomlTableNode);

    /// <summary>One reader per table of the array <paramref name="key"/> (prefix <c>key[i]</c>; absent: none). Call each reader's <see cref="Finish"/>.</summary>
    public IReadOnlyList<SectionReader> TableList(string key)
    {
        if (Lookup(key) is not { } entry) return [];
        if (entry.Value is not TomlArrayNode array) return TypeError<IReadOnlyList<SectionReader>>(entry, "an array of tables", []);
        var readers = new List<SectionReader>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            if (array.Items[i] is TomlTableNode table) readers.Add(new SectionReader(table, $"{FullKey(key)}[{i}]", _binding));
            else ItemTypeError(array.Items[i], key, "a table", 0);
        }
        return readers;
    }

    /// <summary>Records an error for every key of the table that no read asked for, suggesting the closest known key.</summary>
    public void Finish()
    {
        if (_table is null) return;
        // The top level also knows 'extends', which ManifestSource resolves (and removes) before any section is read.
        var known = _prefix.Length == 0 ? _known.Append(ManifestSource.ExtendsKey).ToList() : _known;
        foreach (var entry in _table.Entries.Where(e => !_known.Contains(e.Key)))
        {
            var what = entry.Value is TomlTableNode ? "unknown section" : "unknown key";
            var hint = DidYouMean.Hint(entry.Key, known);
            if (hint.Length == 0) hint = $" (known: {string.Join(", ", known)})";
            _binding.Diagnostics.Error(entry.KeyLocation, FullKey(entry.Key), what + hint);
        }
    }

    /// <summary>Records an error at a key's value (for cross-field checks a section makes after reading).</summary>
    public void Error(string key, string message)
    {
        var location = _table?.Find(key)?.KeyLocation ?? _table?.Location ?? _binding.RootLocation;
        _binding.Diagnostics.Error(location, FullKey(key), message);
    }

    /// <summary>Records a warning at a key's value: printed by every load, never failing it (e.g. a reward that gives a gold answer nothing).</summary>
    public void Warning(string key, string message)
    {
        var location = _table?.Find(key)?.KeyLocation ?? _table?.Location ?? _binding.RootLocation;
        _binding.Diagnostics.Warning(location, FullKey(key), message);
    }

    /// <summary>Records an error at a place inside a file that the key names (e.g. a placeholder in a prompt template).</summary>
    public void ErrorIn(SourceLocation location, string key, string message) => _binding.Diagnostics.Error(location, FullKey(key), message);

    /// <summary>An environment variable, as the manifest's <c>${VAR}</c> expansion sees it (null or empty: unset).</summary>
    public string? Environment(string name) => _binding.Environment(name);

    /// <summary>
    /// Records a problem that depends on this machine's environment (e.g. an unset API-key variable), reported like a missing
    /// path: an error when running, a warning for a dry run on a machine that is not the one the run will use.
    /// </summary>
    public void EnvironmentProblem(string key, string message)
    {
        var location = _table?.Find(key)?.KeyLocation ?? _table?.Location ?? _binding.RootLocation;
        _binding.MachineProblem(new ManifestError(location, FullKey(key), message));
    }

    /// <summary>Whether the table sets <paramref name="key"/> explicitly.</summary>
    public bool Has(string key) => Lookup(key) is not null;   // a key asked about is a known key: a typo of it gets "did you mean"

    private TomlEntry? Lookup(string key)
    {
        if (!_known.Contains(key)) _known.Add(key);
        return _table?.Find(key);
    }

    private string FullKey(string key) => _prefix.Length == 0 ? key : $"{_prefix}.{key}";

    private T TypeError<T>(TomlEntry entry, string expected, T fallback)
    {
        _binding.Diagnostics.Error(entry.KeyLocation, FullKey(entry.Key), $"expected {expected}, got {Describe(entry.Value)}");
        return fallback;
    }

    private T ItemTypeError<T>(TomlNode node, string key, string expected, T fallback)
    {
        _binding.Diagnostics.Error(node.Location, FullKey(key), $"expected {expected} in the array, got {Describe(node)}");
        return fallback;
    }

    private bool InRange(TomlEntry entry, double value, NumberRange? range)
    {
        if (range is not { } r || r.Contains(value)) return true;
        _binding.Diagnostics.Error(entry.KeyLocation, FullKey(entry.Key), $"{Show(value)} is out of range; expected a value in {r}");
        return false;
    }

    private double ItemNumber(TomlNode node, string key, NumberRange? range)
    {
        if (!TryNumber(node, out var value)) return ItemTypeError(node, key, "a number", 0.0);
        if (!double.IsFinite(value)) _binding.Diagnostics.Error(node.Location, FullKey(key), NotFinite(value, range));
        else if (range is { } r && !r.Contains(value))
            _binding.Diagnostics.Error(node.Location, FullKey(key), $"{Show(value)} is out of range; expected values in {r}");
        return value;
    }

    private int ItemInt(TomlNode node, long value, string key, NumberRange? range)
    {
        if (BeyondInt32(value) is not { } problem) return (int)ItemNumber(node, key, range);
        _binding.Diagnostics.Error(node.Location, FullKey(key), problem);
        return 0;
    }

    private static string? BeyondInt32(long value) => value switch
    {
        > int.MaxValue => $"{value} is too large for a 32-bit integer (at most {int.MaxValue})",
        < int.MinValue => $"{value} is too small for a 32-bit integer (at least {int.MinValue})",
        _ => null,
    };

    private IReadOnlyList<T> List<T>(string key, IReadOnlyList<T> fallback, Func<TomlNode, T> item, string what, ListRules rules)
    {
        if (Lookup(key) is not { } entry) return fallback;
        IReadOnlyList<TomlNode>? nodes = entry.Value switch
        {
            TomlArrayNode array => array.Items,
            TomlScalar scalar => [scalar],
            _ => null,
        };
        if (nodes is null) return TypeError(entry, $"an array of {what}", fallback);
        var errorsBefore = _binding.Diagnostics.Errors.Count;
        var values = nodes.Select(item).ToList();
        if (rules.HasFlag(ListRules.NonEmpty) && values.Count == 0)
            _binding.Diagnostics.Error(entry.KeyLocation, FullKey(key), $"the list is empty; give at least one of the {what}");
        if (rules.HasFlag(ListRules.Distinct) && _binding.Diagnostics.Errors.Count == errorsBefore) ReportRepeats(key, nodes, values);
        return values;
    }

    private void ReportRepeats<T>(string key, IReadOnlyList<TomlNode> nodes, IReadOnlyList<T> values)
    {
        var seen = new HashSet<T>();
        for (var i = 0; i < values.Count; i++)
        {
            if (!seen.Add(values[i])) _binding.Diagnostics.Error(nodes[i].Location, FullKey(key), $"{(nodes[i] is TomlScalar s ? s.Display : Describe(nodes[i]))} is listed twice; list each value once");
        }
    }

    private T ParseEnum<T>(TomlNode node, string fullKey, T fallback) where T : struct, Enum
    {
        var names = KebabCase.Names<T>();
        if (node is not TomlScalar { Value: string text })
        {
            _binding.Diagnostics.Error(node.Location, fullKey, $"expected one of {string.Join(", ", names.Select(n => $"\"{n}\""))}, got {Describe(node)}");
            return fallback;
        }
        if (KebabCase.TryParse<T>(text, out var value)) return value;
        _binding.Diagnostics.Error(node.Location, fullKey,
            $"unknown value '{TomlScalar.Clip(text)}'; expected one of {string.Join(", ", names)}{DidYouMean.Hint(text, names)}");
        return fallback;
    }

    private static bool TryNumber(TomlNode node, out double value)
    {
        switch (node)
        {
            case TomlScalar { Value: double d }: value = d; return true;
            case TomlScalar { Value: long l }: value = l; return true;
            default: value = 0; return false;
        }
    }

    private static string Describe(TomlNode node) => node is TomlScalar s ? $"{s.TypeName} {s.Display}" : node.TypeName;

    private static string Show(double value) => TomlScalar.Spell(value);

    private static string NotFinite(double value, NumberRange? range) =>
        $"{Show(value)} is not a finite number; expected {(range is { } r ? $"a value in {r}" : "a finite number")}";

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvReference();
}
