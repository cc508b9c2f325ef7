//! Defaulting, as the API server applies it (pkg/apis/core/v1/defaults.go).

/// `SetDefaults_Container`: the `latest` tag (explicit or implied) pulls `Always`; any other tag or a
/// digest pulls `IfNotPresent`.
pub fn default_image_pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    // The tag is after the last ':' that comes after the last '/' (a registry port is not a tag).
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        Some((_, tag)) if tag != "latest" => "IfNotPresent",
        _ => "Always",
    }
}
