using System.Reflection;
using System.Text.Json;
using LoraPar.Core;
using LoraPar.Core.Settings;

namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>
/// Binds a TOML table straight into a library settings record: each public init property is the key of its snake_case
/// name, read with the record's own default; nested records are sub-tables (<see cref="InlineSettingsAttribute"/>: keys in
/// the same table); <see cref="FromRunAttribute"/> properties are left to the caller. After binding, the record's
/// <see cref="ISettings.Problems"/> are placed at their keys' <c>file:line:col</c>, and unknown keys are reported.
/// </summary>
public static class SettingsBinder
{
    /// <summary>The record of <typeparamref name="T"/> that <paramref name="reader"/>'s table describes (defaults where absent).</summary>
    public static T Bind<T>(SectionReader reader) where T : class
    {
        var value = (T)BindRecord(typeof(T), reader);
        if (value is ISettings settings) Report(reader, settings.Problems());
        reader.Finish();
        return value;
    }

    /// <summary>The settings key of <paramref name="property"/>: its snake_case name, with <c>_seconds</c> for a time span.</summary>
    public static string KeyOf(PropertyInfo property) =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name) + (property.PropertyType == typeof(TimeSpan) ? "_seconds" : "");

    /// <summary>The longest time span a manifest may write, in seconds (about 30 years; beyond it TimeSpan overflows).</summary>
    public const double MaxSeconds = 1e9;

    /// <summary>The properties a manifest can set on <paramref name="type"/>, in declaration order.</summary>
    public static IEnumerable<PropertyInfo> SettableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<FromRunAttribute>() is null)
            .OrderBy(p => p.MetadataToken);

    /// <summary>Whether <paramref name="property"/> holds a nested record written in its parent's table.</summary>
    public static bool IsInline(PropertyInfo property) => property.GetCustomAttribute<InlineSettingsAttribute>() is not null;

    private static object BindRecord(Type type, SectionReader reader)
    {
        var record = CreateDefault(type);
        foreach (var property in SettableProperties(type))
        {
            var current = property.GetValue(record);
            var bound = IsInline(property) ? BindRecord(property.PropertyType, reader) : Read(reader, KeyOf(property), property.PropertyType, current);
            property.SetValue(record, bound);
        }
        return record;
    }

    /// <summary>A record with every default: the parameterless constructor, or the one whose parameters all have defaults.</summary>
    private static object CreateDefault(Type type)
    {
        var constructor = type.GetConstructors().FirstOrDefault(c => c.GetParameters().All(p => p.HasDefaultValue))
                          ?? throw new InvalidOperationException($"{type.Name} has no constructor whose parameters all have defaults");
        return constructor.Invoke(constructor.GetParameters().Select(p => p.DefaultValue).ToArray());
    }

    private static object? Read(SectionReader r, string key, Type type, object? current)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null) return r.Has(key) ? Read(r, key, nullable, Activator.CreateInstance(nullable)) : current;
        if (type == typeof(int)) return r.Int(key, (int)current!);
        if (type == typeof(long)) return r.Long(key, (long)current!);
        if (type == typeof(double)) return r.Double(key, (double)current!);
        if (type == typeof(bool)) return r.Bool(key, (bool)current!);
        if (type == typeof(string)) return r.String(key, (string)current!);
        if (type == typeof(TimeSpan)) return ReadSeconds(r, key, (TimeSpan)current!);
        if (type.IsEnum) return EnumReader(type).Invoke(r, [key, current]);
        if (SettingValue.FactoryOf(type) is { } factory) return ReadValue(r, key, factory, current);
        if (ListElement(type) is { } element) return ReadList(r, key, element, current);
        if (type.IsClass) return BindNested(r.Section(key), type);
        throw new InvalidOperationException($"settings of type {type.Name} ({key}) cannot be read from a manifest");
    }

    /// <summary>The element type of an <c>IReadOnlyList&lt;T&gt;</c> property, or null.</summary>
    private static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    /// <summary>A list of strings (<c>key = ["a", "b"]</c>), or of records (<c>[[key]]</c>, each bound, checked and finished on its own).</summary>
    private static object? ReadList(SectionReader r, string key, Type element, object? current)
    {
        if (element == typeof(string)) return r.StringList(key, (IReadOnlyList<string>?)current ?? []);
        if (!element.IsClass) throw new InvalidOperationException($"settings lists of {element.Name} ({key}) cannot be read from a manifest");
        if (!r.Has(key)) return current;
        var items = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var table in r.TableList(key))
        {
            var item = BindRecord(element, table);
            if (item is ISettings settings) Report(table, settings.Problems());
            table.Finish();
            items.Add(item);
        }
        return items;
    }

    private static object BindNested(SectionReader nested, Type type)
    {
        var value = BindRecord(type, nested);
        nested.Finish();
        return value;
    }

    private static object? ReadValue(SectionReader r, string key, MethodInfo factory, object? current)
    {
        if (!r.Has(key)) { r.StringList(key, []); return current; }
        var names = r.StringList(key, []);
        try
        {
            return factory.Invoke(null, [names]);
        }
        catch (TargetInvocationException e) when (e.InnerException is BadInputException bad)
        {
            r.Error(key, bad.Message);
            return current;
        }
    }

    private static TimeSpan ReadSeconds(SectionReader r, string key, TimeSpan current)
    {
        var seconds = r.Double(key, current.TotalSeconds);
        if (Math.Abs(seconds) <= MaxSeconds) return TimeSpan.FromSeconds(seconds);
        r.Error(key, $"{seconds} seconds is too long; at most {MaxSeconds:0}");
        return current;
    }

    private static MethodInfo EnumReader(Type type) =>
        typeof(SectionReader).GetMethod(nameof(SectionReader.Enum))!.MakeGenericMethod(type);

    private static void Report(SectionReader reader, IReadOnlyList<SettingProblem> problems)
    {
        foreach (var problem in problems)
        {
            var parts = problem.Key.Split('.');
            var at = reader;
            foreach (var part in parts[..^1]) at = at.Section(part);
            at.Error(parts[^1], problem.Message);
        }
    }
}
