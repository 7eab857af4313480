using System.Globalization;

namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>
/// Mutations of one key line's value or name: wrong types, misspelt keys and enum values, out-of-range values (every number
/// the manifests write is non-negative, every range rejects negatives), non-finite numbers and integers beyond their type.
/// </summary>
public static class ValueMutations
{
    private static readonly HashSet<string> FreeStrings =
        ["name", "title", "model", "endpoint", "api_key_env", "target_model", "extends", "artifacts", "train", "eval", "path", "dev",
         "baseline", "labels", "checkpoint",
         // column names of one's own files and the regexes of [eval.own] / [[rl.own_rewards]]: any text is a valid value
         "question", "answer", "system", "prompt", "completion", "messages", "id", "label", "options", "answer_regex", "pattern"];

    private static readonly HashSet<string> EnumArrays = ["benchmarks", "points", "selection", "init", "modules", "method"];

    private static readonly (string Section, string Key)[] FloatKeys =
        [("partition", "theta"), ("rl", "temperature"), ("eval", "temperature"), ("lora", "alpha"), ("sft", "learning_rate"), ("rl", "kl_beta")];

    private static readonly (string Section, string Key)[] IntKeys =
        [("lora", "rank"), ("sft", "batch_size"), ("eval", "batch_size"), ("importance", "samples_per_system"), ("rl", "num_generations")];

    private static readonly string[] NonFinite = ["inf", "-inf", "nan", "+inf", "-nan"];

    private static readonly string[] HugeInts = ["4294967297", "4294967304", "2147483648", "-2147483649", "9223372036854775807"];

    private static readonly string[] BeyondInt64 = ["9223372036854775808", "18446744073709551617", "99999999999999999999999999"];

    /// <summary>Every value mutation of <paramref name="m"/>, <paramref name="perFamily"/> lines per family.</summary>
    public static IEnumerable<CorpusCase> For(CorpusManifest m, int perFamily, Random rng)
    {
        var keys = m.Text.Keys;
        foreach (var k in Typos.Pick(keys, perFamily, rng)) yield return WrongType(m, k);
        foreach (var k in Typos.Pick(keys, perFamily, rng)) yield return KeyTypo(m, k, rng);
        foreach (var h in Typos.Pick(m.Text.Headers, Math.Max(1, perFamily / 2), rng)) yield return HeaderTypo(m, h, rng);
        foreach (var k in Typos.Pick(keys.Where(IsEnum).ToList(), perFamily, rng)) yield return EnumTypo(m, k, rng);
        foreach (var k in Typos.Pick(keys.Where(IsNumber).ToList(), perFamily, rng)) yield return Negative(m, k);
        var floats = keys.Where(k => k.Kind == ValueKind.Float).ToList();
        foreach (var k in Typos.Pick(floats, perFamily, rng))
            yield return m.Case($"{k.FullKey} = {k.Value} made non-finite", CorpusCategory.NonFinite,
                m.Text.WithValue(k, NonFinite[rng.Next(NonFinite.Length)]), k.FullKey + ":");
        if (floats.Count == 0) yield return InjectedNonFinite(m, rng);
        var ints = keys.Where(k => k.Kind == ValueKind.Integer).ToList();
        foreach (var k in Typos.Pick(ints, perFamily, rng)) yield return Huge(m, k, rng);
        if (ints.Count == 0) yield return InjectedHuge(m, rng);
        yield return m.Case("a top-level integer beyond int64", CorpusCategory.HugeInteger,
            m.Text.WithKey("", "seed", BeyondInt64[rng.Next(BeyondInt64.Length)]));
    }

    private static CorpusCase WrongType(CorpusManifest m, KeyLine k)
    {
        var value = k.Kind switch
        {
            ValueKind.Integer or ValueKind.Float => $"\"{k.Value}\"",
            ValueKind.Boolean => "\"yes\"",
            ValueKind.String => "12",
            ValueKind.Array or ValueKind.Table => "{ wrong = 1 }",
            _ => throw new ArgumentOutOfRangeException(nameof(k)),
        };
        return m.Case($"{k.FullKey} = {value}", CorpusCategory.WrongType, m.Text.WithValue(k, value), k.FullKey + ":", "expected");
    }

    private static CorpusCase KeyTypo(CorpusManifest m, KeyLine k, Random rng)
    {
        var typo = Typos.Of(k.Key, rng);
        var full = k.FullKey[..^k.Key.Length] + typo;
        return m.Case($"key {k.FullKey} misspelt {typo}", CorpusCategory.KeyTypo,
            m.Text.ReplaceLine(k.Index, $"{typo} = {k.Value}"), full + ": unknown key", "did you mean");
    }

    private static CorpusCase HeaderTypo(CorpusManifest m, HeaderLine h, Random rng)
    {
        var parts = h.Name.Split('.');
        parts[^1] = Typos.Of(parts[^1], rng);
        var name = string.Join('.', parts);
        var line = h.IsArray ? $"[[{name}]]" : $"[{name}]";
        return m.Case($"section [{h.Name}] misspelt {line}", CorpusCategory.KeyTypo, m.Text.ReplaceLine(h.Index, line), name + ": unknown");
    }

    private static CorpusCase EnumTypo(CorpusManifest m, KeyLine k, Random rng)
    {
        var start = k.Value.IndexOf('"') + 1;
        var end = k.Value.IndexOf('"', start);
        var word = k.Value[start..end];
        var value = k.Value[..start] + Typos.Of(word, rng) + k.Value[end..];
        return m.Case($"{k.FullKey} = {value}", CorpusCategory.EnumTypo, m.Text.WithValue(k, value), k.FullKey + ":", "unknown value");
    }

    private static CorpusCase Negative(CorpusManifest m, KeyLine k)
    {
        var value = k.Kind switch
        {
            ValueKind.Integer => (-(long.Parse(k.Value.Replace("_", ""), CultureInfo.InvariantCulture) + 1)).ToString(CultureInfo.InvariantCulture),
            ValueKind.Float => (-(Math.Abs(double.Parse(k.Value, CultureInfo.InvariantCulture)) + 0.5)).ToString("R", CultureInfo.InvariantCulture),
            _ => "[-1]",
        };
        return m.Case($"{k.FullKey} = {value}", CorpusCategory.OutOfRange, m.Text.WithValue(k, value), k.FullKey + ":");
    }

    private static CorpusCase Huge(CorpusManifest m, KeyLine k, Random rng)
    {
        var pool = k is { Section: "" or "data", Key: "seed" } ? BeyondInt64 : HugeInts;   // the seeds are 64-bit
        var value = pool[rng.Next(pool.Length)];
        // Beyond int64 the TOML parser itself refuses the literal, at the value, before any key is read.
        var expect = pool == BeyondInt64 ? "invalid TOML" : k.FullKey + ":";
        return m.Case($"{k.FullKey} = {value}", CorpusCategory.HugeInteger, m.Text.WithValue(k, value), expect);
    }

    private static CorpusCase InjectedNonFinite(CorpusManifest m, Random rng)
    {
        var (section, key) = FloatKeys[rng.Next(FloatKeys.Length)];
        var value = NonFinite[rng.Next(NonFinite.Length)];
        return m.Case($"{section}.{key} = {value}", CorpusCategory.NonFinite, m.Text.WithKey(section, key, value), $"{section}.{key}:");
    }

    private static CorpusCase InjectedHuge(CorpusManifest m, Random rng)
    {
        var (section, key) = IntKeys[rng.Next(IntKeys.Length)];
        var value = HugeInts[rng.Next(HugeInts.Length)];
        return m.Case($"{section}.{key} = {value}", CorpusCategory.HugeInteger, m.Text.WithKey(section, key, value), $"{section}.{key}:");
    }

    private static bool IsEnum(KeyLine k) =>
        (k.Kind == ValueKind.String && !FreeStrings.Contains(k.Key) && !k.Value.Contains('/') && !k.Value.Contains('$'))
        || (k.Kind == ValueKind.Array && EnumArrays.Contains(k.Key) && k.Value.Contains('"'));

    private static bool IsNumber(KeyLine k) =>
        k.Kind is ValueKind.Integer or ValueKind.Float || (k.Kind == ValueKind.Array && k.Value.Length > 2 && char.IsDigit(k.Value[1]));
}
