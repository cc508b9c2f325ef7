//! Share links: a session travels as seed + actions + moment (+ the editor's text), as JSON,
//! deflated and base64url-encoded behind a version prefix: `v1.<payload>`. Replaying the actions
//! on the same seed rebuilds the same cluster, so the link stays small whatever happened.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use podplay_api::time::Millis;
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::session::{Action, Session};

/// The format version written into links; links of other versions are refused with a message.
pub const LINK_VERSION: u32 = 1;

/// The longest link payload accepted, in characters. Browsers take far longer URLs, but chat
/// tools, LMS pages and QR codes do not; beyond this, sharing the manifests as a file is better.
pub const LINK_LIMIT: usize = 32_000;

/// Decompressed payloads larger than this are refused (a link must not be a zip bomb).
const MAX_INFLATED: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedSession {
    pub v: u32,
    pub seed: u64,
    /// The editor's text when shared (may differ from what was last applied).
    pub editor: String,
    pub actions: Vec<Action>,
    /// The moment shown.
    pub moment: Millis,
    /// The scenario's own files its script names (absent in links without them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    TooLong { chars: usize, limit: usize },
    Damaged(String),
    Version(u32),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::TooLong { chars, limit } => write!(
                f,
                "This session is too large to share as a link: {chars} characters, the limit is {limit}. \
                 Remove manifests you do not need, or reset and apply only what the example needs."
            ),
            LinkError::Damaged(why) => write!(
                f,
                "This link is damaged and cannot be opened ({why}). Ask for the link again; \
                 it may have been cut off when it was copied."
            ),
            LinkError::Version(v) => write!(
                f,
                "This link was made by a newer podplay (link format v{v}; this one reads v{LINK_VERSION}). \
                 Open it with the latest version of the playground."
            ),
        }
    }
}

impl SharedSession {
    pub fn of(session: &Session, editor: &str) -> SharedSession {
        SharedSession {
            v: LINK_VERSION,
            seed: session.seed(),
            editor: editor.to_string(),
            actions: session.actions().to_vec(),
            moment: session.now(),
            files: session.files().to_vec(),
        }
    }

    /// `v1.<base64url(deflate(json))>`.
    pub fn encode(&self) -> Result<String, LinkError> {
        let json = serde_json::to_vec(self).map_err(|e| LinkError::Damaged(e.to_string()))?;
        let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
        let out = format!("v{}.{}", self.v, URL_SAFE_NO_PAD.encode(packed));
        if out.len() > LINK_LIMIT {
            return Err(LinkError::TooLong {
                chars: out.len(),
                limit: LINK_LIMIT,
            });
        }
        Ok(out)
    }

    pub fn decode(text: &str) -> Result<SharedSession, LinkError> {
        let text = text.trim();
        if text.len() > LINK_LIMIT {
            return Err(LinkError::TooLong {
                chars: text.len(),
                limit: LINK_LIMIT,
            });
        }
        let (version, payload) = text
            .split_once('.')
            .ok_or_else(|| LinkError::Damaged("no version prefix".into()))?;
        let v: u32 = version
            .strip_prefix('v')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| LinkError::Damaged(format!("unknown prefix {version:?}")))?;
        if v != LINK_VERSION {
            return Err(LinkError::Version(v));
        }
        let packed = URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|e| LinkError::Damaged(format!("not base64url: {e}")))?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED)
            .map_err(|e| LinkError::Damaged(format!("cannot inflate: {:?}", e.status)))?;
        let s: SharedSession = serde_json::from_slice(&json)
            .map_err(|e| LinkError::Damaged(format!("unexpected content: {e}")))?;
        if s.v != LINK_VERSION {
            return Err(LinkError::Version(s.v));
        }
        if s.moment < 0 || s.actions.iter().any(|a| a.t < 0) {
            return Err(LinkError::Damaged("a moment before the start".into()));
        }
        Ok(s)
    }

    /// The session this link describes, simulated up to its moment.
    pub fn open(&self) -> Session {
        // A link must not make the page simulate for hours: the moment is capped at a week.
        let cap = 7 * 24 * podplay_api::time::HOUR;
        let actions = self
            .actions
            .iter()
            .filter(|a| a.t <= cap)
            .cloned()
            .collect();
        Session::replay_with_files(self.seed, self.files.clone(), actions, self.moment.min(cap))
    }
}
