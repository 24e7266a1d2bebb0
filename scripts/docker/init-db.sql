-- Databases of the docker-compose stack (the native scripts create the same ones with createdb).
CREATE DATABASE lum ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE lum_keycloak ENCODING 'UTF8' TEMPLATE template0;
