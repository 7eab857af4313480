namespace LoraPar.Core.Settings;

/// <summary>
/// A settings value a manifest writes as text (a string or a list of strings), read back by the type's public static
/// <c>FromSetting(IReadOnlyList&lt;string&gt;)</c>.
/// </summary>
public interface ISettingText
{
    /// <summary>How a manifest writes this value.</summary>
    string SettingText { get; }
}
