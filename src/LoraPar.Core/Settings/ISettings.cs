namespace LoraPar.Core.Settings;

/// <summary>
/// An immutable settings record that checks itself: the one place its ranges and cross-field rules live. The manifest binds
/// its TOML table straight into the record (keys are the snake_case property names) and reports <see cref="Problems"/> at
/// load, before any compute; library callers use <see cref="SettingsValidation.Validated{T}"/>.
/// </summary>
public interface ISettings
{
    /// <summary>Every problem with these values, nested records included (keys dotted below them); empty when valid.</summary>
    IReadOnlyList<SettingProblem> Problems();
}
