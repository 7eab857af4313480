using System.Reflection;
using LoraPar.Core.Settings;

namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>
/// Settings values written as a string or a list of strings (e.g. LoRA targets: <c>"qkvgud"</c> or <c>["q_proj", "v_proj"]</c>):
/// types that implement <see cref="ISettingText"/> and have a public static <c>FromSetting(IReadOnlyList&lt;string&gt;)</c>.
/// </summary>
public static class SettingValue
{
    /// <summary>The static factory of <paramref name="type"/>, or null when it is not such a value.</summary>
    public static MethodInfo? FactoryOf(Type type) =>
        typeof(ISettingText).IsAssignableFrom(type)
            ? type.GetMethod("FromSetting", BindingFlags.Public | BindingFlags.Static, [typeof(IReadOnlyList<string>)])
            : null;
}
