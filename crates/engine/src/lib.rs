//! podplay-engine
